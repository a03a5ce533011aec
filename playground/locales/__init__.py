"""UI strings, one module per area of the app; each defines STRINGS = {key: {"fr": ..., "en": ...}}."""
