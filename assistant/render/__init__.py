"""An answer made readable: Markdown for the chat, Word and Markdown export, source views, PDF pages."""
