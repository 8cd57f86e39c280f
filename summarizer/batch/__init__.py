"""Batch summarization of backlogs: readers, a crash-safe writer, a local and a Ray runner."""
