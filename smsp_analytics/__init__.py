"""smsp-analytics: size, price and rent opt-in SMS audiences from Jupyter."""

__version__ = "0.1.0"
