"""Text: sentence-aware chunking, lexical terms, language detection, numbers and markers."""
