"""kg: news articles in, linked and validated RDF out."""

__version__ = "0.1.0"
