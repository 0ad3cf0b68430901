"""Problem files and claimed answers in, documents out: loading, field checks, the type registry, checking, writing."""
