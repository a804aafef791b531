"""Imported by the batch's forkserver before it forks any worker: the pipeline's modules and the
CMU pronouncing dictionary are loaded once there, and every fresh worker (one per article when
audio is made) starts with them instead of loading them again."""

from renderer.analysis.readability import load_dictionary
from renderer.pipeline import render_file

__all__ = ["render_file"]

load_dictionary()
