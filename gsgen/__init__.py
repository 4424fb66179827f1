"""gsgen: a static-site generator for Chinese government portals."""

__version__ = "0.1.0"
