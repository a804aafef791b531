"""Analysis: classify sections, protect safety content, score readability."""
