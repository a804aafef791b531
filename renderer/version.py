"""The renderer's version, in one place (pyproject.toml reads it from here)."""

VERSION = "0.3.0"
