"""The State-Council report templates as data: the catalogue, the printed vocabulary, the arithmetic, and
how one printed cell is read. No I/O, no knowledge of file formats."""
