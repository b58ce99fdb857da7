"""Packaged default templates: mkdocs.yml, record templates, theme overrides, static docs."""
