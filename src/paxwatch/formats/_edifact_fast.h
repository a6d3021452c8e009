/*
 * What the parts of ``paxwatch.formats._edifact_fast`` share (one extension, three files):
 * ``_edifact_fast.c`` (the module, Segment's C methods and the regular-segment loop ``run``),
 * ``_edifact_elements.c`` (a piece's scan and its elements) and ``_edifact_pieces.c`` (the
 * terminator split, ``split_pieces``).
 */
#ifndef PAXWATCH_EDIFACT_FAST_H
#define PAXWATCH_EDIFACT_FAST_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* The separators of an ASCII piece, found in one pass (``edifact_scan_ascii``): their
 * positions, and for each whether it separates elements (else components). Pieces with more
 * separators than this are read by the general code (a pass per level). */
#define SEP_MAX 256

typedef struct {
    Py_ssize_t count; /* separators after the tag */
    Py_ssize_t pos[SEP_MAX];
    unsigned char is_elem[SEP_MAX];
} Seps;

/* _edifact_elements.c */
PyObject *edifact_substring(PyObject *raw, const Py_UCS1 *ascii, Py_ssize_t from, Py_ssize_t to);
PyObject *edifact_split_elements(PyObject *raw, int kind, const void *data, const Py_UCS1 *ascii,
                                 Py_ssize_t begin, Py_ssize_t end, Py_UCS4 elem, Py_UCS4 comp);
int edifact_scan_ascii(const Py_UCS1 *p, Py_ssize_t len, Py_UCS4 elem, Py_UCS4 comp,
                       Py_ssize_t *tag_end, Seps *seps);
PyObject *edifact_split_ascii(PyObject *text, const Py_UCS1 *ascii, Py_ssize_t begin,
                              Py_ssize_t len, const Seps *seps);
int edifact_scan_piece(int kind, const void *data, Py_ssize_t begin, Py_ssize_t len, Py_UCS4 elem,
                       Py_ssize_t *tag_end);

/* _edifact_pieces.c */
PyObject *edifact_split_pieces(PyObject *self, PyObject *const *args, Py_ssize_t nargs);

#endif
