/*
 * The regular-segment loop of the EDIFACT tokenizer, in C.
 *
 * ``run`` is the C twin of ``paxwatch.formats.edifact_regular.run_regular_py`` (read that
 * function first: it is the reference, and tests check that both give the same segments on
 * arbitrary input). It reads pieces (segment texts split on the terminator) from ``start``
 * while they are regular -- no line break (leading blanks are removed), a tag already known
 * to be valid that is not UNZ, no released characters, no more elements than the profile allows -- builds a
 * ``Segment`` for each and appends it to ``segments``. It stops at the first piece that is not
 * regular and returns ``(piece_no, index)``: the Python tokenizer reads that piece (with every
 * repair and finding) and calls ``run`` again. So the C code never repairs or reports
 * anything: it only does, faster, what the Python loop does for ordinary segments.
 *
 * ``configure(Segment)`` must be called once. When Segment is the Python class, ``run``
 * stores the six attributes of a segment directly in its slots (the offsets are read from
 * the class's member descriptors); when it is compiled by mypyc (the normal install), ``run``
 * calls ``factory`` (``edifact_segment.new_segment``, which calls the class) with the six
 * attributes: the readers then use the segment's attributes and methods natively. For the Python class it also
 * replaces the two methods readers call most, ``Segment.get`` and ``Segment.element``, by C
 * twins that read the slot directly (the Python methods stay the reference: tests compare
 * them, and the C ones hand them anything unusual, such as negative indices).
 */
#include "_edifact_fast.h"
#include <structmember.h>

static PyTypeObject *segment_type = NULL;
static Py_ssize_t off_tag, off_elements, off_index, off_text, off_pos, off_lines;
/* Whether Segment has plain object slots (the Python class) that ``run`` fills directly;
 * otherwise (the class compiled by mypyc) ``run`` calls the class. */
static int fill_slots = 0;
/* What ``run`` calls to make a segment when it does not fill slots: the class, or a function
 * that calls it (cheaper to call than a compiled class: no argument tuple). */
static PyObject *segment_factory = NULL;
/* The Python ``Segment.get`` and ``Segment.element``: what the C methods fall back to. */
static PyObject *py_get = NULL, *py_element = NULL;
static PyObject *empty_str = NULL;

static int
slot_offset(PyObject *cls, const char *name, Py_ssize_t *offset)
{
    PyObject *descr = PyObject_GetAttrString(cls, name);
    if (descr == NULL) {
        return -1;
    }
    if (!Py_IS_TYPE(descr, &PyMemberDescr_Type)
        || ((PyMemberDescrObject *)descr)->d_member->type != T_OBJECT_EX) {
        Py_DECREF(descr);
        PyErr_Format(PyExc_TypeError, "%s is not an object slot", name);
        return -1;
    }
    *offset = ((PyMemberDescrObject *)descr)->d_member->offset;
    Py_DECREF(descr);
    return 0;
}

#define SLOT(obj, off) (*(PyObject **)((char *)(obj) + (off)))

/* Call the Python method ``func`` with ``self`` and the arguments of a vectorcall. */
static PyObject *
call_python(PyObject *func, PyObject *self, PyObject *const *args, Py_ssize_t nargs,
            PyObject *kwnames)
{
    Py_ssize_t total = nargs + (kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames));
    PyObject **all = PyMem_Malloc((size_t)(total + 1) * sizeof(PyObject *));
    if (all == NULL) {
        return PyErr_NoMemory();
    }
    all[0] = self;
    for (Py_ssize_t i = 0; i < total; i++) {
        all[i + 1] = args[i];
    }
    PyObject *result = PyObject_Vectorcall(func, all, (size_t)nargs + 1, kwnames);
    PyMem_Free(all);
    return result;
}

/* ``Segment.get(element, component=0)`` in C: component ``component`` of element
 * ``element``, or "". Anything but a list of lists and two non-negative indices that fit in a
 * Py_ssize_t is handed to the Python method, which stays the reference. */
static PyObject *
segment_get(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *elements = SLOT(self, off_elements);
    Py_ssize_t e, c = 0;
    if ((kwnames != NULL && PyTuple_GET_SIZE(kwnames) > 0) || nargs < 1 || nargs > 2 || elements == NULL || !PyList_CheckExact(elements)
        || !PyLong_CheckExact(args[0]) || (nargs == 2 && !PyLong_CheckExact(args[1]))) {
        goto fallback;
    }
    e = PyLong_AsSsize_t(args[0]);
    if (nargs == 2) {
        c = PyLong_AsSsize_t(args[1]);
    }
    if (e < 0 || c < 0) { /* negative, or too large (an error was set) */
        PyErr_Clear();
        goto fallback;
    }
    if (e >= PyList_GET_SIZE(elements)) {
        return Py_NewRef(empty_str);
    }
    PyObject *comps = PyList_GET_ITEM(elements, e);
    if (!PyList_CheckExact(comps)) {
        goto fallback;
    }
    if (c >= PyList_GET_SIZE(comps)) {
        return Py_NewRef(empty_str);
    }
    return Py_NewRef(PyList_GET_ITEM(comps, c));
fallback:
    return call_python(py_get, self, args, nargs, kwnames);
}

/* ``Segment.element(element)`` in C: all components of element ``element``, or []. */
static PyObject *
segment_element(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                PyObject *kwnames)
{
    PyObject *elements = SLOT(self, off_elements);
    Py_ssize_t e;
    if ((kwnames != NULL && PyTuple_GET_SIZE(kwnames) > 0) || nargs != 1 || elements == NULL || !PyList_CheckExact(elements)
        || !PyLong_CheckExact(args[0])) {
        goto fallback;
    }
    e = PyLong_AsSsize_t(args[0]);
    if (e < 0) {
        PyErr_Clear();
        goto fallback;
    }
    if (e >= PyList_GET_SIZE(elements)) {
        return PyList_New(0);
    }
    return Py_NewRef(PyList_GET_ITEM(elements, e));
fallback:
    return call_python(py_element, self, args, nargs, kwnames);
}

static PyMethodDef get_def = {
    "get", (PyCFunction)(void (*)(void))segment_get, METH_FASTCALL | METH_KEYWORDS,
    "Component ``component`` of element ``element`` (both 0-based), or \"\"."};
static PyMethodDef element_def = {
    "element", (PyCFunction)(void (*)(void))segment_element, METH_FASTCALL | METH_KEYWORDS,
    "All components of element ``element`` (0-based), or an empty list."};

/* Replace the Python method ``name`` of ``cls`` by the C one (the Python one is kept in
 * ``*original``, for the cases the C one does not handle). */
static int
install_method(PyObject *cls, PyMethodDef *def, PyObject **original)
{
    PyObject *current = PyObject_GetAttrString(cls, def->ml_name);
    if (current == NULL) {
        return -1;
    }
    if (Py_IS_TYPE(current, &PyMethodDescr_Type)) {
        Py_DECREF(current); /* already installed (configure called again) */
        return 0;
    }
    if (!PyFunction_Check(current)) {
        Py_DECREF(current);
        PyErr_Format(PyExc_TypeError, "Segment.%s is not a function", def->ml_name);
        return -1;
    }
    PyObject *descr = PyDescr_NewMethod((PyTypeObject *)cls, def);
    if (descr == NULL || PyObject_SetAttrString(cls, def->ml_name, descr) < 0) {
        Py_XDECREF(descr);
        Py_DECREF(current);
        return -1;
    }
    Py_DECREF(descr);
    Py_XSETREF(*original, current);
    return 0;
}

static PyObject *
configure(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1 || nargs > 2) {
        PyErr_SetString(PyExc_TypeError, "configure(Segment, factory=None)");
        return NULL;
    }
    PyObject *cls = args[0];
    PyObject *factory = nargs == 2 && args[1] != Py_None ? args[1] : cls;
    if (!PyType_Check(cls) || !PyCallable_Check(factory)) {
        PyErr_SetString(PyExc_TypeError, "configure() needs the Segment class");
        return NULL;
    }
    if (empty_str == NULL && (empty_str = PyUnicode_New(0, 0)) == NULL) {
        return NULL;
    }
    if (slot_offset(cls, "tag", &off_tag) < 0 || slot_offset(cls, "elements", &off_elements) < 0
        || slot_offset(cls, "index", &off_index) < 0 || slot_offset(cls, "text", &off_text) < 0
        || slot_offset(cls, "_pos", &off_pos) < 0 || slot_offset(cls, "_lines", &off_lines) < 0) {
        /* Not plain slots: the class compiled by mypyc, whose attributes and methods are
         * native already. ``run`` calls it. */
        if (!PyErr_ExceptionMatches(PyExc_TypeError)) {
            return NULL;
        }
        PyErr_Clear();
        fill_slots = 0;
        Py_XSETREF(segment_factory, Py_NewRef(factory));
        Py_XSETREF(segment_type, (PyTypeObject *)Py_NewRef(cls));
        Py_RETURN_NONE;
    }
    if (install_method(cls, &get_def, &py_get) < 0
        || install_method(cls, &element_def, &py_element) < 0) {
        return NULL;
    }
    fill_slots = 1;
    Py_XSETREF(segment_type, (PyTypeObject *)Py_NewRef(cls));
    Py_RETURN_NONE;
}

static PyObject *
run(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *pieces, *segments, *valid, *limits, *elem_sep, *comp_sep, *lines;
    Py_ssize_t start, stop, index, piece_no;
    int escaped;
    if (nargs != 11) {
        PyErr_SetString(PyExc_TypeError, "run() takes 11 arguments");
        return NULL;
    }
    pieces = args[0];
    segments = args[3];
    valid = args[5];
    limits = args[6];
    elem_sep = args[7];
    comp_sep = args[8];
    lines = args[10];
    start = PyLong_AsSsize_t(args[1]);
    stop = PyLong_AsSsize_t(args[2]);
    index = PyLong_AsSsize_t(args[4]);
    escaped = PyObject_IsTrue(args[9]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    if (segment_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "configure() was not called");
        return NULL;
    }
    if (!PyList_CheckExact(pieces) || !PyList_CheckExact(segments) || !PyAnySet_Check(valid)
        || !PyUnicode_Check(elem_sep) || !PyUnicode_Check(comp_sep)) {
        PyErr_SetString(PyExc_TypeError, "run(): unexpected argument types");
        return NULL;
    }
    piece_no = start;
    /* Anything unusual (a limits mapping that is not a dict, separators of other lengths)
     * is left to the Python loop: no piece is read here. */
    if (!PyDict_CheckExact(limits) || PyUnicode_GET_LENGTH(elem_sep) != 1
        || PyUnicode_GET_LENGTH(comp_sep) != 1) {
        goto done;
    }
    Py_UCS4 elem = PyUnicode_READ_CHAR(elem_sep, 0);
    Py_UCS4 comp = PyUnicode_READ_CHAR(comp_sep, 0);
    Seps seps;
    seps.count = 0;
    if (stop > PyList_GET_SIZE(pieces)) {
        stop = PyList_GET_SIZE(pieces);
    }
    for (; piece_no < stop; piece_no++) {
        PyObject *raw = PyList_GET_ITEM(pieces, piece_no);
        if (!PyUnicode_CheckExact(raw)) {
            break;
        }
        Py_ssize_t len = PyUnicode_GET_LENGTH(raw);
        if (len == 0) {
            continue; /* an empty piece: nothing between two terminators */
        }
        if (escaped && !PyUnicode_IS_ASCII(raw)) {
            break; /* may hold released characters */
        }
        int kind = PyUnicode_KIND(raw);
        const void *data = PyUnicode_DATA(raw);
        Py_ssize_t tag_end;
        /* ASCII (nearly every piece): one pass finds the separators too */
        int one_pass = PyUnicode_IS_ASCII(raw);
        if (one_pass) {
            int scanned = edifact_scan_ascii(data, len, elem, comp, &tag_end, &seps);
            if (scanned < 0) {
                break; /* a line break: the Python loop removes it */
            }
            one_pass = scanned == 0;
        }
        else if (edifact_scan_piece(kind, data, 0, len, elem, &tag_end) < 0) {
            break;
        }
        Py_UCS4 first = PyUnicode_READ(kind, data, 0);
        PyObject *text = raw; /* borrowed; a new reference when blanks are removed */
        if (first == ' ' || first == '\t') {
            /* leading blanks (a space after the terminator) are removed, as raw.lstrip(" \t") */
            Py_ssize_t lead = 1;
            while (lead < len) {
                Py_UCS4 ch = PyUnicode_READ(kind, data, lead);
                if (ch != ' ' && ch != '\t') {
                    break;
                }
                lead++;
            }
            if (lead == len) {
                continue; /* only blanks: nothing to read */
            }
            text = PyUnicode_Substring(raw, lead, len);
            if (text == NULL) {
                return NULL;
            }
            len -= lead;
            if (tag_end >= 0) {
                tag_end -= lead;
            }
            one_pass = 0; /* (the separators' positions are those of raw) */
            kind = PyUnicode_KIND(text);
            data = PyUnicode_DATA(text);
        }
        else {
            Py_INCREF(text);
        }
        const Py_UCS1 *ascii = PyUnicode_IS_ASCII(text) ? PyUnicode_1BYTE_DATA(text) : NULL;
        PyObject *tag = edifact_substring(text, ascii, 0, tag_end < 0 ? len : tag_end);
        if (tag == NULL) {
            Py_DECREF(text);
            return NULL;
        }
        int known = PySet_Contains(valid, tag);
        if (known < 0) {
            Py_DECREF(tag);
            Py_DECREF(text);
            return NULL;
        }
        if (!known || (PyUnicode_GET_LENGTH(tag) == 3 && PyUnicode_IS_ASCII(tag)
                       && memcmp(PyUnicode_1BYTE_DATA(tag), "UNZ", 3) == 0)) {
            Py_DECREF(tag);
            Py_DECREF(text);
            break;
        }
        PyObject *elements = tag_end < 0 ? PyList_New(0)
            : one_pass ? edifact_split_ascii(text, ascii, tag_end + 1, len, &seps)
            : edifact_split_elements(text, kind, data, ascii, tag_end + 1, len, elem, comp);
        if (elements == NULL) {
            Py_DECREF(tag);
            Py_DECREF(text);
            return NULL;
        }
        PyObject *limit_obj = PyDict_GetItemWithError(limits, tag); /* borrowed */
        long limit = 99;
        if (limit_obj != NULL) {
            limit = PyLong_Check(limit_obj) ? PyLong_AsLong(limit_obj) : -1;
            if (limit == -1 && PyErr_Occurred()) {
                PyErr_Clear();
            }
        }
        else if (PyErr_Occurred()) {
            Py_DECREF(tag);
            Py_DECREF(elements);
            Py_DECREF(text);
            return NULL;
        }
        if (limit < 0 || PyList_GET_SIZE(elements) > limit) {
            Py_DECREF(tag);
            Py_DECREF(elements);
            Py_DECREF(text);
            break; /* too many elements: the Python loop looks for a missing terminator */
        }
        PyObject *index_obj = PyLong_FromSsize_t(index + 1);
        PyObject *pos_obj = PyLong_FromSsize_t(piece_no);
        PyObject *seg = NULL;
        if (index_obj != NULL && pos_obj != NULL) {
            if (fill_slots) {
                seg = segment_type->tp_alloc(segment_type, 0);
            }
            else {
                PyObject *argv[6] = {tag, elements, index_obj, text, pos_obj, lines};
                seg = PyObject_Vectorcall(segment_factory, argv, 6, NULL);
            }
        }
        if (seg == NULL) {
            Py_DECREF(tag);
            Py_DECREF(elements);
            Py_DECREF(text);
            Py_XDECREF(index_obj);
            Py_XDECREF(pos_obj);
            return NULL;
        }
        if (fill_slots) { /* the slots take the references */
            SLOT(seg, off_tag) = tag;
            SLOT(seg, off_elements) = elements;
            SLOT(seg, off_index) = index_obj;
            SLOT(seg, off_text) = text;
            SLOT(seg, off_pos) = pos_obj;
            SLOT(seg, off_lines) = Py_NewRef(lines);
        }
        else {
            Py_DECREF(tag);
            Py_DECREF(elements);
            Py_DECREF(text);
            Py_DECREF(index_obj);
            Py_DECREF(pos_obj);
        }
        int appended = PyList_Append(segments, seg);
        Py_DECREF(seg);
        if (appended < 0) {
            return NULL;
        }
        index++;
    }
done:
    return Py_BuildValue("(nn)", piece_no, index);
}

static PyMethodDef methods[] = {
    {"configure", (PyCFunction)(void (*)(void))configure, METH_FASTCALL,
     "configure(Segment, factory=None): how run() makes segments (see the module)."},
    {"split_pieces", (PyCFunction)(void (*)(void))edifact_split_pieces, METH_FASTCALL,
     "split_pieces(body, term) -> (pieces, cuts, layout): body split on the terminator, the "
     "line break that starts a piece removed; what each lost; whether line breaks remain."},
    {"run", (PyCFunction)(void (*)(void))run, METH_FASTCALL,
     "run(pieces, start, stop, segments, index, valid, limits, elem_sep, comp_sep, escaped, "
     "lines) -> (piece_no, index): read the regular pieces from start."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "paxwatch.formats._edifact_fast",
    "C twin of the regular-segment loop of paxwatch.formats.edifact.", -1, methods,
};

PyMODINIT_FUNC
PyInit__edifact_fast(void)
{
    return PyModule_Create(&module);
}
