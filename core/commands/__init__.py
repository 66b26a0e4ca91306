"""The commands: the one table of rows, the context a handler gets, and one module per family."""
