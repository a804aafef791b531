"""Outputs: the large-print PDF, and the proof that protected text reached it."""
