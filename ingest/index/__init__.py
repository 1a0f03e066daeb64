"""Where index versions live: the file layout and the IndexStore seam (files or database)."""
