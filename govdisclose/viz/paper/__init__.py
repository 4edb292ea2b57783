"""Outputs for a paper: LaTeX tables (:mod:`~govdisclose.viz.paper.latex`), CSV exports with a
codebook and source hashes (:mod:`~govdisclose.viz.paper.codebook`), figures with the CJK font
embedded (:mod:`~govdisclose.viz.paper.export`), and the tables and figures of the
``paper_tables`` notebook from a corpus (:mod:`~govdisclose.viz.paper.build`)."""
