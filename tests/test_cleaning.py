from ingest.load.cleaning import clean_block, join_hyphenation, normalise, strip_repeated_lines


def test_normalise_spaces_soft_hyphens_and_controls():
    assert normalise("IKT\u00a0-strategi  for\u00adkommunen\x07\r\nneste") == "IKT -strategi forkommunen\nneste"


def test_hyphenation_joins_broken_words_but_keeps_compounds():
    assert join_hyphenation("digitali-\nsering av IT-\nstrategien") == "digitalisering av IT-strategien"


def test_clean_block_folds_lines_and_keeps_paragraphs():
    assert clean_block("En linje\nsom fortsetter.\n\n\nNytt   avsnitt.") == "En linje som fortsetter.\n\nNytt avsnitt."


def test_repeated_headers_and_footers_are_removed():
    bodies = ["Kostnadene steg.", "Modenheten er lav.", "Styringen må bli bedre.", "Gevinstene tas ut."]
    pages = [f"Bærum kommune – IT-strategi\n{body}\nSide {n} av 4" for n, body in enumerate(bodies, start=1)]
    assert strip_repeated_lines(pages) == bodies


def test_repeated_lines_need_three_pages():
    pages = ["Topp\nA", "Topp\nB"]
    assert strip_repeated_lines(pages) == pages
