"""The annotated reader edition: content and YAML in, a static German website out."""

__version__ = "0.1.0"
