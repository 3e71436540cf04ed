"""Topic model -> pages. `pages.py` decides what goes on each page (format-neutral);
each output format has a renderer with its own Jinja templates (`templates/<format>/`)."""
import os

# kbgen's own templates, one folder per format (here, not in renderer.py: kbgen.build
# hashes them without importing Jinja).
TEMPLATES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "templates")
