"""Knowledge Cards: compile Markdown concept cards into a linked learning site."""

__version__ = "0.1.0"
