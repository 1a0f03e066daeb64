"""Reading reports: loaders per format, web-page noise, transcripts, instruction stripping, the corpus manifest."""
