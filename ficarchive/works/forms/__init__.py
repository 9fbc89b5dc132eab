"""The posting forms, one module per topic: the work, its chapters, co-creators, and the
fields they share."""
