"""`kb bench`: build, re-index, query latency, memory and ANN recall from the bundled corpus up to
large synthetic libraries (see eval/README.md, "kb bench").

- ``stats``    sizes, percentiles, medians with their spread, the targets' verdicts (pure)
- ``library``  the synthetic library as Markdown documents, the corpus copy, the one-file change
- ``composed`` stand-in encoders for the big sizes: vectors composed from the corpus's stored
               sentence vectors, cached to .npy files
- ``latency``  one question timed piece by piece (encode, each channel, fusion, answer); ANN recall
- ``phases``   the measured phases, each run in a subprocess of its own (peak RSS per phase)
- ``runner``   sizes x stores x repeats, progress, the results object
- ``report``   bench.md and bench.json; ``plots`` the PNGs; ``cli`` the command
"""
