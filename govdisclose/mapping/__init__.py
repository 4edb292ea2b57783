"""From a :class:`~govdisclose.readers.model.Document` to catalogue cells: which printed cell is which metric
(row and column labels, structure-lost text, digit runs, the title and the six sections)."""
