"""Training-only code and data of raikit's bundled models (not installed with the package)."""
