"""Given argument checks of the graded functions of lessons 01-07.

Students write the algorithm; refusing bad input is given code. Every graded function of those
lessons starts with one given line that calls its check, e.g.::

    image, kernel, stride, pad = check_correlate2d(image, kernel, stride, pad)

Each ``check_<function>`` raises ``ValueError`` with a message that says what is wrong
(wrong rank, channel mismatch, kernel larger than the padded input, stride < 1, non-integral
output size ...) and returns the arguments ready to use: array arguments as NumPy arrays (never
copied or converted to another dtype), integer arguments as ``int``. One module per topic; the
notebooks import the checks they need from it.
"""
