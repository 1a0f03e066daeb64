"""Answers: reading the question, choosing passages and sentences, refusing, checking citations."""
