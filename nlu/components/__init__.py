"""Our own Rasa components, loaded by module path (Rasa runs with nlu/ as its cwd)."""
