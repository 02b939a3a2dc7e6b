/* The C door's golden-vector runner: reads the flat case file written by the Rust
 * harness (tests/src/lib.rs: name, op, hex input, = or !, hex expected, hex field),
 * calls salesops_call for each case and compares the output bytes exactly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "salesops.h"

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = realloc(buf, cap * 2 + 1);
            if (!bigger) { free(buf); buf = NULL; break; }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf) buf[n] = '\0';
    *len = n;
    return buf;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Decode hex text into a fresh NUL-terminated buffer; *len gets the byte count. */
static char *unhex(const char *hex, size_t *len) {
    size_t n = strlen(hex) / 2;
    char *out = malloc(n + 1);
    if (!out) return NULL;
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) { free(out); return NULL; }
        out[i] = (char)(hi * 16 + lo);
    }
    out[n] = '\0';
    *len = n;
    return out;
}

/* Split `line` on tabs into at most `max` fields; returns the count. */
static int split(char *line, char **fields, int max) {
    int n = 0;
    fields[n++] = line;
    for (char *p = line; *p && n < max; p++) {
        if (*p == '\t') { *p = '\0'; fields[n++] = p + 1; }
    }
    return n;
}

static int run_case(char **f) {
    const char *name = f[0], *op = f[1];
    size_t in_len = 0, want_len = 0, field_len = 0;
    char *input = unhex(f[2], &in_len);
    char *want = unhex(f[4], &want_len);
    char *field = unhex(f[5], &field_len);
    int ok = 0;
    if (!input || !want || !field) {
        fprintf(stderr, "c door: %s: bad case line\n", name);
    } else {
        salesops_buffer out = {NULL, 0};
        salesops_status st = salesops_call(op, (const uint8_t *)input, in_len, &out);
        if (f[3][0] == '=') {
            ok = st == SALESOPS_STATUS_OK && out.len == want_len && memcmp(out.data, want, want_len) == 0;
            if (!ok)
                fprintf(stderr, "c door: %s\n  want %s\n  got  [%s] %s\n", name, want,
                        salesops_status_name((uint32_t)st), st == SALESOPS_STATUS_OK ? out.data : salesops_last_error());
        } else {
            char quoted[512];
            snprintf(quoted, sizeof quoted, "`%s`", field);
            ok = st != SALESOPS_STATUS_OK && out.data == NULL && strcmp(salesops_status_name((uint32_t)st), want) == 0 &&
                 (field_len == 0 || strstr(salesops_last_error(), quoted) != NULL);
            if (!ok)
                fprintf(stderr, "c door: %s\n  want error %s at %s\n  got  [%s] %s\n", name, want, field,
                        salesops_status_name((uint32_t)st), st == SALESOPS_STATUS_OK ? out.data : salesops_last_error());
        }
        salesops_buffer_free(out);
    }
    free(input);
    free(want);
    free(field);
    return ok;
}

int salesops_c_run_vectors(const char *path, int *ran) {
    size_t len = 0;
    char *text = read_file(path, &len);
    if (!text) {
        fprintf(stderr, "c door: cannot read %s\n", path);
        return -1;
    }
    int failed = 0, count = 0;
    char *line = text;
    while (line && *line) {
        char *next = strchr(line, '\n');
        if (next) *next++ = '\0';
        char *fields[6];
        if (split(line, fields, 6) != 6) {
            fprintf(stderr, "c door: malformed case line\n");
            failed++;
        } else {
            count++;
            if (!run_case(fields)) failed++;
        }
        line = next;
    }
    free(text);
    *ran = count;
    printf("c door: %d vectors, %d failed\n", count, failed);
    return failed;
}
