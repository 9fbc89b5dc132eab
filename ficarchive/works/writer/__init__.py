"""The one writer of works: drafts (drafts.py) written alone or in bulk (write.py), with the
languages, creators, tags, series and collections they name looked up or made (lookups.py)."""
