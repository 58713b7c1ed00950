/* The command line: kaowu.c dispatches to one cmd_<name>.c per subcommand. */
#ifndef KW_CLI_CLI_H
#define KW_CLI_CLI_H

#include <stddef.h>

#include "util/err.h"

/* Exit codes of every subcommand. */
enum { KW_EXIT_OK = 0, KW_EXIT_FAIL = 1, KW_EXIT_USAGE = 2 };

struct kw_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary_zh, *summary_en;
	const char *usage; /* the synopsis and options, printed by --help */
};

int cmd_help(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_calendar(int argc, char **argv);
int cmd_params(int argc, char **argv);
int cmd_draw(int argc, char **argv);
int cmd_seat(int argc, char **argv);
int cmd_proctor(int argc, char **argv);
int cmd_tickets(int argc, char **argv);
int cmd_labels(int argc, char **argv);
int cmd_letters(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_layouts(int argc, char **argv);
int cmd_generate(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_answerbak(int argc, char **argv);
int cmd_screen(int argc, char **argv);
int cmd_retention(int argc, char **argv);

/* The table of subcommands, ended by {NULL}. */
extern const struct kw_cmd kw_cmds[];

/* Prints "kaowu CMD: <message in LANG> (<detail>)" on stderr; returns KW_EXIT_FAIL. */
int kw_cli_fail(const char *cmd, const struct kw_err *err);
/* Prints a usage error and the command's synopsis; returns KW_EXIT_USAGE. */
int kw_cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the --help text of cmd on stdout; returns KW_EXIT_OK. */
int kw_cli_help(const char *cmd);
/* Is lang (from LANG) English? */
int kw_cli_en(void);
/*
 * After getopt: refuses arguments left over (from optind), resolves *db (the --db value or
 * KAOWU_DB; required) and writes the audit key file into key[n] (key_opt, else the default
 * for the database). 0, or the usage exit code to return.
 */
int kw_cli_db_and_key(const char *cmd, int argc, char **argv, const char **db, const char *key_opt,
                      char *key, size_t n);
/* The --db value, or KAOWU_DB, or NULL. */
const char *kw_cli_db(const char *opt);
/* A new password for a person to change later: 20 characters of an unambiguous
 * alphabet (~110 bits), NUL-terminated (out needs 21 bytes). */
void kw_cli_new_password(char out[21]);
/* The actor of a command run on the server host: kind "operator", the login name. */
struct kw_actor;
void kw_cli_operator(struct kw_actor *a);

#endif
