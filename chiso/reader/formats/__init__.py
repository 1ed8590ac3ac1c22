"""Format extractors: bytes of one format -> the document model."""
