/*
** CEdit shim: the libedit calls Swift cannot make itself (el_set, el_get and history are
** variadic; prompts and key bindings are C callbacks), kept behind a small cedit_t.
*/
#include "CEdit.h"

#include <histedit.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct cedit {
    EditLine *el;
    History *history;
    HistEvent event;
    char *prompt;
    cedit_complete_fn complete;
    void *context;
    int interrupted;
    char *line;
    size_t capacity;
};

static cedit_t *editor_of(EditLine *el) {
    cedit_t *editor = NULL;
    el_get(el, EL_CLIENTDATA, &editor);
    return editor;
}

static char *prompt_text(EditLine *el) {
    cedit_t *editor = editor_of(el);
    return editor && editor->prompt ? editor->prompt : "";
}

/* TAB: hand the text before the cursor to the Swift hook. */
static unsigned char complete_key(EditLine *el, int ch) {
    (void)ch;
    cedit_t *editor = editor_of(el);
    if (!editor || !editor->complete) return CC_ERROR;
    const LineInfo *info = el_line(el);
    size_t length = (size_t)(info->cursor - info->buffer);
    char *before = malloc(length + 1);
    if (!before) return CC_ERROR;
    memcpy(before, info->buffer, length);
    before[length] = '\0';
    int result = editor->complete(editor, editor->context, before);
    free(before);
    return (unsigned char)result;
}

/* Ctrl-C while editing: end the line and say it was interrupted (the caller drops it). */
static unsigned char interrupt_key(EditLine *el, int ch) {
    (void)ch;
    cedit_t *editor = editor_of(el);
    if (editor) editor->interrupted = 1;
    return CC_NEWLINE;
}

static void ensure_utf8_locale(void) {
    const char *current = setlocale(LC_CTYPE, NULL);
    if (current && strcmp(current, "C") != 0 && strcmp(current, "POSIX") != 0) return;
    const char *chosen = setlocale(LC_CTYPE, "");
    if (!chosen || strcmp(chosen, "C") == 0 || strcmp(chosen, "POSIX") == 0) setlocale(LC_CTYPE, "C.UTF-8");
}

cedit_t *cedit_new(const char *program, int history_size) {
    if (!isatty(fileno(stdin))) return NULL;
    ensure_utf8_locale();
    cedit_t *editor = calloc(1, sizeof *editor);
    if (!editor) return NULL;
    editor->el = el_init(program, stdin, stdout, stderr);
    editor->history = history_init();
    if (!editor->el || !editor->history) {
        cedit_free(editor);
        return NULL;
    }
    history(editor->history, &editor->event, H_SETSIZE, history_size > 0 ? history_size : 1000);
    history(editor->history, &editor->event, H_SETUNIQUE, 1);
    el_set(editor->el, EL_CLIENTDATA, (void *)editor);
    el_set(editor->el, EL_EDITOR, "emacs");
    el_set(editor->el, EL_SIGNAL, 1);
    el_set(editor->el, EL_PROMPT, prompt_text);
    el_set(editor->el, EL_HIST, history, editor->history);
    el_set(editor->el, EL_ADDFN, "scwlua-complete", "Complete Lua names", complete_key);
    el_set(editor->el, EL_BIND, "^I", "scwlua-complete", NULL);
    /* Ctrl-C reaches the editor as a key (not SIGINT) while a line is edited. */
    el_set(editor->el, EL_SETTY, "-d", "-isig", NULL);
    el_set(editor->el, EL_ADDFN, "scwlua-interrupt", "Drop the line", interrupt_key);
    el_set(editor->el, EL_BIND, "^C", "scwlua-interrupt", NULL);
    el_source(editor->el, NULL);
    return editor;
}

void cedit_free(cedit_t *editor) {
    if (!editor) return;
    if (editor->el) el_end(editor->el);
    if (editor->history) history_end(editor->history);
    free(editor->prompt);
    free(editor->line);
    free(editor);
}

void cedit_set_prompt(cedit_t *editor, const char *prompt) {
    char *copy = strdup(prompt ? prompt : "");
    if (!copy) return;
    free(editor->prompt);
    editor->prompt = copy;
}

void cedit_set_completer(cedit_t *editor, cedit_complete_fn hook, void *context) {
    editor->complete = hook;
    editor->context = context;
}

const char *cedit_gets(cedit_t *editor, int *interrupted) {
    editor->interrupted = 0;
    int count = 0;
    const char *text = el_gets(editor->el, &count);
    if (interrupted) *interrupted = editor->interrupted;
    if (!text || count <= 0) {
        if (editor->interrupted) {  /* Ctrl-C on an empty line */
            if (editor->capacity == 0) {
                editor->line = malloc(1);
                if (!editor->line) return NULL;
                editor->capacity = 1;
            }
            editor->line[0] = '\0';
            return editor->line;
        }
        return NULL;
    }
    size_t length = (size_t)count;
    if (length > 0 && text[length - 1] == '\n') length--;
    if (length + 1 > editor->capacity) {
        char *grown = realloc(editor->line, length + 1);
        if (!grown) return NULL;
        editor->line = grown;
        editor->capacity = length + 1;
    }
    memcpy(editor->line, text, length);
    editor->line[length] = '\0';
    return editor->line;
}

int cedit_insert(cedit_t *editor, const char *text) {
    if (!text || !*text) return 0;
    return el_insertstr(editor->el, text);
}

int cedit_columns(cedit_t *editor) {
    int columns = 0;
    if (el_get(editor->el, EL_GETTC, "co", &columns) != 0 || columns <= 0) return 80;
    return columns;
}

void cedit_history_add(cedit_t *editor, const char *line) {
    if (line && *line) history(editor->history, &editor->event, H_ENTER, line);
}

int cedit_history_load(cedit_t *editor, const char *path) {
    return history(editor->history, &editor->event, H_LOAD, path) < 0 ? -1 : 0;
}

int cedit_history_save(cedit_t *editor, const char *path) {
    return history(editor->history, &editor->event, H_SAVE, path) < 0 ? -1 : 0;
}
