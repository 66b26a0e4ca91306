"""Reading what runners type: commands, /log and /setup grammars, numbers, exercise names."""
