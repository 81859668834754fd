"""Seeing battles: frames (what one picture shows), drawing them with pygame, and the viewer window.

pygame is imported only inside the functions that draw or open a window, so `import arena` never needs
a display.
"""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # pygame's import banner would pollute command output
