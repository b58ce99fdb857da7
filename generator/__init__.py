"""disclose: 行政执法公示网站生成器.

content/ + site_config/ (YAML) → validated records → deadline stamps → pages → MkDocs site.
"""

__version__ = "0.1.0"
