"""Reading, validating and drafting knowledge: articles, YAML, the schema, the data."""
