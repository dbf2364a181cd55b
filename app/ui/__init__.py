"""The control room: the only package that imports PySide6, pyqtgraph or qasync."""
