"""What every layer shares: the course folder (``course``), the kit's one error type
(``errors``), plain-text tables that show any bytes safely (``text_table``) and what the kit
knows of each dataset before reading it (``dataset_specs``).

Rule of this layer: it imports the standard library, traitlets and nbgrader's types only,
and nothing else of the kit. It is the bottom layer.
"""
