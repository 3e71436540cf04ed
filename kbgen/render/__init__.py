"""Topic model -> pages. `pages.py` decides what goes on each page (format-neutral);
each output format has a renderer with its own Jinja templates (`templates/<format>/`)."""
