"""Input readers for ``summarizer batch``: JSONL (file or stdin), CSV, or a folder of files.

Every record of the input comes out as exactly one ``Item`` (an article to summarize) or one
``RecordError`` (why it cannot be), so nothing is ever dropped silently; each carries a ``key``,
unique within the input, that the writer uses to resume.

- ``records``: what a record is (``Item``, ``RecordError``) and the byte bounds they obey;
- ``fields``: a JSON object or CSV row, by its id and text fields, into one record;
- ``lines``: the bounded line reader (no line over ``MAX_RECORD_BYTES`` is held in memory);
- ``jsonl``, ``csv_rows``, ``folder``: one input format each;
- ``reader``: ``Reader``, which picks the format, drops nothing and turns repeated ids into errors.
"""
