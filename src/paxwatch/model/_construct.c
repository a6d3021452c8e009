/*
 * A C constructor for the model's frozen, slotted, keyword-only dataclasses.
 *
 * ``paxwatch.model.fast.fast_init`` gives each model class a Python ``__init__`` that stores
 * the fields through the slots' descriptors. Calling such a class still costs a dictionary
 * of the keyword arguments (``type.__call__`` builds one), a Python frame and one descriptor
 * call per field: about 10,000 machine instructions for a traveller.
 *
 * ``install(cls, fields)`` makes calls of ``cls`` go through ``construct`` below instead
 * (the class's ``tp_vectorcall``, which ``type.__call__`` would otherwise stand in for). It
 * reads the keyword arguments straight from the call, stores them in the slots, and fills the
 * fields not given from their default or default factory. Anything it does not handle --
 * positional arguments, an unknown or repeated keyword, a missing required field, a subclass
 * -- is passed to ``type.__call__``, i.e. to the Python ``__init__``, which raises the
 * dataclass's own errors. So the objects, and the errors, are exactly those of the Python
 * constructor (tests check both on arbitrary arguments).
 *
 * ``fields`` is a tuple of ``(name, member descriptor, kind, value)`` in field order, where
 * kind is REQUIRED, DEFAULT (value is the default), FACTORY (value is called), or
 * FIXED_DEFAULT / FIXED_FACTORY for ``init=False`` fields.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

enum { REQUIRED = 0, DEFAULT = 1, FACTORY = 2, FIXED_DEFAULT = 3, FIXED_FACTORY = 4 };

#define MAX_FIELDS 64

typedef struct {
    PyObject *name; /* interned */
    Py_ssize_t offset;
    int kind;
    PyObject *value; /* the default, the factory, or NULL */
} FieldSpec;

typedef struct {
    PyTypeObject *cls; /* borrowed: the spec lives in the class's dict */
    Py_ssize_t count;
    unsigned long long required; /* bit i: field i is REQUIRED */
    FieldSpec fields[MAX_FIELDS];
} ClassSpec;

static PyObject *spec_key = NULL; /* "__paxwatch_construct__" */

#define SLOT(obj, off) (*(PyObject **)((char *)(obj) + (off)))

/*
 * The specs of the installed classes by class, so that a call does not look the capsule up
 * in the class's dict: an open-addressing table keyed by the class's address. It does not
 * own anything: the capsule in the class's dict owns the spec, and its destructor (the
 * class going away, or installed again) takes the entry out. A class the table has no room
 * for is found through its dict, as before.
 */
#define TABLE_SIZE 512 /* a power of two */
#define TABLE_MAX (TABLE_SIZE / 2)
#define TOMBSTONE ((PyTypeObject *)1)

static struct {
    PyTypeObject *cls;
    ClassSpec *spec;
} table[TABLE_SIZE];
static Py_ssize_t table_used = 0; /* entries and tombstones */

static size_t
table_start(PyTypeObject *cls)
{
    return ((size_t)(uintptr_t)cls >> 4) & (TABLE_SIZE - 1);
}

static ClassSpec *
table_get(PyTypeObject *cls)
{
    size_t i = table_start(cls);
    for (size_t k = 0; k < TABLE_SIZE; k++) {
        PyTypeObject *c = table[i].cls;
        if (c == cls) {
            return table[i].spec;
        }
        if (c == NULL) {
            return NULL;
        }
        i = (i + 1) & (TABLE_SIZE - 1);
    }
    return NULL;
}

static void
table_remove(ClassSpec *spec)
{
    size_t i = table_start(spec->cls);
    for (size_t k = 0; k < TABLE_SIZE; k++) {
        if (table[i].cls == NULL) {
            return;
        }
        if (table[i].cls == spec->cls && table[i].spec == spec) {
            table[i].cls = TOMBSTONE;
            table[i].spec = NULL;
            return;
        }
        i = (i + 1) & (TABLE_SIZE - 1);
    }
}

static void
table_put(ClassSpec *spec)
{
    size_t i = table_start(spec->cls);
    for (size_t k = 0; k < TABLE_SIZE; k++) {
        PyTypeObject *c = table[i].cls;
        if (c == spec->cls) { /* installed again: the old capsule is being replaced */
            table[i].spec = spec;
            return;
        }
        if (c == NULL) {
            break;
        }
        i = (i + 1) & (TABLE_SIZE - 1);
    }
    if (table_used >= TABLE_MAX) {
        return; /* full: found through the class's dict */
    }
    i = table_start(spec->cls);
    while (table[i].cls != NULL) {
        i = (i + 1) & (TABLE_SIZE - 1);
    }
    table[i].cls = spec->cls;
    table[i].spec = spec;
    table_used++;
}

static void
spec_free(PyObject *capsule)
{
    ClassSpec *spec = PyCapsule_GetPointer(capsule, "paxwatch.model._construct.spec");
    if (spec == NULL) {
        PyErr_Clear();
        return;
    }
    table_remove(spec);
    for (Py_ssize_t i = 0; i < spec->count; i++) {
        Py_XDECREF(spec->fields[i].name);
        Py_XDECREF(spec->fields[i].value);
    }
    PyMem_Free(spec);
}

/* The Python constructor: type.__call__ with a tuple and a dict, as without ``install``. */
static PyObject *
generic_call(PyObject *cls, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    PyObject *tuple = PyTuple_New(nargs);
    PyObject *kwargs = NULL, *result = NULL;
    if (tuple == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        PyTuple_SET_ITEM(tuple, i, Py_NewRef(args[i]));
    }
    if (kwnames != NULL && PyTuple_GET_SIZE(kwnames) > 0) {
        kwargs = PyDict_New();
        if (kwargs == NULL) {
            goto done;
        }
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kwnames); i++) {
            if (PyDict_SetItem(kwargs, PyTuple_GET_ITEM(kwnames, i), args[nargs + i]) < 0) {
                goto done;
            }
        }
    }
    result = PyType_Type.tp_call(cls, tuple, kwargs);
done:
    Py_DECREF(tuple);
    Py_XDECREF(kwargs);
    return result;
}

static Py_ssize_t
find_field(ClassSpec *spec, PyObject *name, Py_ssize_t hint)
{
    Py_ssize_t n = spec->count;
    for (Py_ssize_t k = 0; k < n; k++) {
        Py_ssize_t i = hint + k; /* < 2n: hint <= n, k < n */
        if (i >= n) {
            i -= n;
        }
        if (spec->fields[i].name == name) {
            return i;
        }
    }
    if (!PyUnicode_Check(name)) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) { /* a keyword that is not interned */
        if (PyUnicode_Compare(spec->fields[i].name, name) == 0) {
            return i;
        }
    }
    if (PyErr_Occurred()) {
        PyErr_Clear();
    }
    return -1;
}

static PyObject *
construct(PyObject *cls, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    ClassSpec *spec = table_get((PyTypeObject *)cls);
    if (spec == NULL) {
        PyObject *capsule = PyDict_GetItemWithError(((PyTypeObject *)cls)->tp_dict, spec_key);
        if (capsule == NULL) {
            if (PyErr_Occurred()) {
                return NULL;
            }
            return generic_call(cls, args, nargsf, kwnames);
        }
        spec = PyCapsule_GetPointer(capsule, "paxwatch.model._construct.spec");
        if (spec == NULL) {
            return NULL;
        }
    }
    if (spec->cls != (PyTypeObject *)cls || PyVectorcall_NARGS(nargsf) != 0) {
        return generic_call(cls, args, nargsf, kwnames);
    }
    Py_ssize_t nkw = kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames);
    Py_ssize_t given[MAX_FIELDS]; /* given[i]: the keyword of field i, when bit i of seen */
    unsigned long long seen = 0;
    Py_ssize_t hint = 0;
    for (Py_ssize_t k = 0; k < nkw; k++) {
        Py_ssize_t i = find_field(spec, PyTuple_GET_ITEM(kwnames, k), hint);
        if (i < 0 || (seen >> i) & 1 || spec->fields[i].kind >= FIXED_DEFAULT) {
            return generic_call(cls, args, nargsf, kwnames); /* raises the usual TypeError */
        }
        seen |= 1ULL << i;
        given[i] = k;
        hint = i + 1;
    }
    if ((seen & spec->required) != spec->required) { /* a required field is missing */
        return generic_call(cls, args, nargsf, kwnames);
    }
    PyTypeObject *type = (PyTypeObject *)cls;
    PyObject *obj = type->tp_alloc(type, 0);
    if (obj == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < spec->count; i++) {
        FieldSpec *f = &spec->fields[i];
        PyObject *value;
        if ((seen >> i) & 1) {
            value = Py_NewRef(args[given[i]]);
        }
        else if (f->kind == DEFAULT || f->kind == FIXED_DEFAULT) {
            value = Py_NewRef(f->value);
        }
        else {
            value = PyObject_CallNoArgs(f->value);
            if (value == NULL) {
                Py_DECREF(obj);
                return NULL;
            }
        }
        SLOT(obj, f->offset) = value;
    }
    return obj;
}

static int
member_offset(PyObject *descr, Py_ssize_t *offset)
{
    if (!Py_IS_TYPE(descr, &PyMemberDescr_Type)
        || ((PyMemberDescrObject *)descr)->d_member->type != T_OBJECT_EX) {
        PyErr_SetString(PyExc_TypeError, "install(): a field is not an object slot");
        return -1;
    }
    *offset = ((PyMemberDescrObject *)descr)->d_member->offset;
    return 0;
}

static PyObject *
install(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyType_Check(args[0]) || !PyTuple_CheckExact(args[1])) {
        PyErr_SetString(PyExc_TypeError, "install(cls, fields: tuple)");
        return NULL;
    }
    PyTypeObject *cls = (PyTypeObject *)args[0];
    PyObject *fields = args[1];
    Py_ssize_t count = PyTuple_GET_SIZE(fields);
    if (!(cls->tp_flags & Py_TPFLAGS_HEAPTYPE) || cls->tp_new != PyBaseObject_Type.tp_new
        || cls->tp_vectorcall != NULL || count > MAX_FIELDS) {
        Py_RETURN_FALSE; /* not a class this constructor knows how to build */
    }
    ClassSpec *spec = PyMem_Calloc(1, sizeof(ClassSpec));
    if (spec == NULL) {
        return PyErr_NoMemory();
    }
    spec->cls = cls;
    PyObject *capsule = PyCapsule_New(spec, "paxwatch.model._construct.spec", spec_free);
    if (capsule == NULL) {
        PyMem_Free(spec);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *item = PyTuple_GET_ITEM(fields, i);
        PyObject *name, *descr, *value;
        int kind;
        if (!PyTuple_CheckExact(item)
            || !PyArg_ParseTuple(item, "UOiO", &name, &descr, &kind, &value)) {
            PyErr_SetString(PyExc_TypeError, "install(): fields are (name, descr, kind, value)");
            goto fail;
        }
        FieldSpec *f = &spec->fields[i];
        if (member_offset(descr, &f->offset) < 0) {
            goto fail;
        }
        if (kind < REQUIRED || kind > FIXED_FACTORY) {
            PyErr_SetString(PyExc_ValueError, "install(): unknown field kind");
            goto fail;
        }
        Py_INCREF(name);
        PyUnicode_InternInPlace(&name);
        f->name = name;
        f->kind = kind;
        f->value = kind == REQUIRED ? NULL : Py_NewRef(value);
        if (kind == REQUIRED) {
            spec->required |= 1ULL << i;
        }
        spec->count = i + 1;
    }
    if (PyDict_SetItem(cls->tp_dict, spec_key, capsule) < 0) {
        goto fail;
    }
    table_put(spec);
    Py_DECREF(capsule);
    PyType_Modified(cls);
    cls->tp_vectorcall = construct;
    Py_RETURN_TRUE;
fail:
    Py_DECREF(capsule);
    return NULL;
}

static PyMethodDef methods[] = {
    {"install", (PyCFunction)(void (*)(void))install, METH_FASTCALL,
     "install(cls, fields) -> bool: build instances of cls in C (see the module)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "paxwatch.model._construct",
    "A C constructor for the model's frozen slotted dataclasses.", -1, methods,
};

PyMODINIT_FUNC
PyInit__construct(void)
{
    spec_key = PyUnicode_InternFromString("__paxwatch_construct__");
    if (spec_key == NULL) {
        return NULL;
    }
    return PyModule_Create(&module);
}
