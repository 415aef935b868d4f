"""What every layer shares: the course folder (``course``), the kit's one error type
(``errors``) and plain-text tables that show any bytes safely (``text_table``).

Rule of this layer: it imports the standard library, traitlets and nbgrader's types only,
and nothing else of the kit. It is the bottom layer.
"""
