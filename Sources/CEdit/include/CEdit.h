/*
** CEdit: libedit (Debian's libedit-dev) for Swift. Wrappers for the variadic el_set/el_get
** and history calls Swift cannot make, a prompt held by the editor, and a completion hook.
*/
#ifndef SCWLUA_CEDIT_H
#define SCWLUA_CEDIT_H

#include <stdio.h>

/* What a completion hook returns: how the editor redraws afterwards. */
enum {
    CEDIT_REFRESH = 4,    /* the line changed: redraw it (CC_REFRESH) */
    CEDIT_REDISPLAY = 8,  /* something was printed below: redraw prompt and line (CC_REDISPLAY) */
    CEDIT_BEEP = 6        /* nothing to do: beep (CC_ERROR) */
};

/* One line editor on stdin/stdout with its own history. */
typedef struct cedit cedit_t;

/* Called on TAB with the text before the cursor; may call cedit_insert and print, then
   returns one of CEDIT_REFRESH, CEDIT_REDISPLAY, CEDIT_BEEP. */
typedef int (*cedit_complete_fn)(cedit_t *editor, void *context, const char *before_cursor);

/* Makes an editor (emacs bindings, ~/.editrc read); NULL when stdin is not a terminal or
   libedit cannot start. `history_size` bounds the history kept and saved. */
cedit_t *cedit_new(const char *program, int history_size);
void cedit_free(cedit_t *editor);

/* The prompt shown by the next cedit_gets (copied). */
void cedit_set_prompt(cedit_t *editor, const char *prompt);
/* Installs the TAB hook; `context` is handed back to it unchanged. */
void cedit_set_completer(cedit_t *editor, cedit_complete_fn hook, void *context);

/* Reads one line with editing. Returns it without its newline (valid until the next call),
   or NULL at end of input. `*interrupted` is set to 1 when Ctrl-C ended the line (the
   partial text is then returned and should be dropped). */
const char *cedit_gets(cedit_t *editor, int *interrupted);

/* Inserts text at the cursor (from a completion hook); 0 on success. */
int cedit_insert(cedit_t *editor, const char *text);
/* The terminal's width in columns (80 when unknown). */
int cedit_columns(cedit_t *editor);

/* History: add an entry; load and save the file (libedit's format). 0 on success. */
void cedit_history_add(cedit_t *editor, const char *line);
int cedit_history_load(cedit_t *editor, const char *path);
int cedit_history_save(cedit_t *editor, const char *path);

#endif
