/* The C door's edge cases: what a careless or hostile caller can do to the ABI. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "salesops.h"

static int failures = 0;

#define CHECK(cond)                                                    \
    do {                                                               \
        if (!(cond)) {                                                 \
            fprintf(stderr, "c edge: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                \
        }                                                              \
    } while (0)

static salesops_status call(const char *op, const char *in, salesops_buffer *out) {
    return salesops_call(op, (const uint8_t *)in, strlen(in), out);
}

/* Several threads call at once; each sees its own outputs and its own last error. */
static void *worker(void *arg) {
    long id = (long)arg;
    long bad = 0;
    char in[160], want[96];
    for (int i = 0; i < 300; i++) {
        salesops_buffer out = {NULL, 0};
        if (i % 3 == 0) {
            /* A refusal naming this thread's own field index. */
            snprintf(in, sizeof in, "{\"total\":{\"amount\":\"1.00\",\"currency\":\"USD\"},\"weights\":[\"1\",\"1\",\"-%ld\"]}", id + 1);
            if (salesops_call("money.allocate", (const uint8_t *)in, strlen(in), &out) != SALESOPS_STATUS_INVALID_INPUT) bad++;
            snprintf(want, sizeof want, "-%ld is negative", id + 1);
            if (strstr(salesops_last_error(), want) == NULL) bad++;
        } else {
            snprintf(in, sizeof in, "{\"money\":{\"amount\":\"%ld.%03d\",\"currency\":\"USD\"},\"scale\":3}", id, i);
            snprintf(want, sizeof want, "{\"money\":{\"amount\":\"%ld.%03d\",\"currency\":\"USD\"}}", id, i);
            if (salesops_call("money.round", (const uint8_t *)in, strlen(in), &out) != SALESOPS_STATUS_OK) bad++;
            else if (strcmp(out.data, want) != 0) bad++;
            if (strcmp(salesops_last_error(), "") != 0) bad++;
            salesops_buffer_free(out);
        }
    }
    return (void *)bad;
}

int salesops_c_edge_tests(void) {
    failures = 0;
    const char *round_in = "{\"money\":{\"amount\":\"2.345\",\"currency\":\"USD\"}}";
    salesops_buffer out = {NULL, 0};

    /* Success: owned, NUL-terminated output; last error cleared. */
    CHECK(call("money.round", round_in, &out) == SALESOPS_STATUS_OK);
    CHECK(out.data != NULL && strcmp(out.data, "{\"money\":{\"amount\":\"2.34\",\"currency\":\"USD\"}}") == 0);
    CHECK(out.len == strlen(out.data));
    CHECK(strcmp(salesops_last_error(), "") == 0);
    salesops_buffer_free(out);

    /* NULL arguments are reported, never dereferenced; out stays untouched. */
    salesops_buffer untouched = {NULL, 42};
    CHECK(salesops_call(NULL, (const uint8_t *)"{}", 2, &untouched) == SALESOPS_STATUS_NULL_ARGUMENT);
    CHECK(strstr(salesops_last_error(), "op") != NULL);
    CHECK(salesops_call("meta.version", NULL, 5, &untouched) == SALESOPS_STATUS_NULL_ARGUMENT);
    CHECK(call("meta.version", "{}", NULL) == SALESOPS_STATUS_NULL_ARGUMENT);
    CHECK(untouched.data == NULL && untouched.len == 42);

    /* NULL input with length 0 is an empty document: a JSON error, not a crash. */
    CHECK(salesops_call("meta.version", NULL, 0, &untouched) == SALESOPS_STATUS_INVALID_INPUT);
    CHECK(untouched.data == NULL && untouched.len == 42);

    /* Invalid UTF-8 in the input or the op name. */
    const uint8_t bad[] = {'{', '"', 0xff, '"', '}'};
    CHECK(salesops_call("meta.version", bad, sizeof bad, &untouched) == SALESOPS_STATUS_INVALID_INPUT);
    CHECK(strstr(salesops_last_error(), "UTF-8") != NULL);
    CHECK(call("\xff\xfe", "{}", &untouched) == SALESOPS_STATUS_INVALID_INPUT);

    /* Input need not be NUL-terminated: only input_len bytes are read. */
    const char padded[] = "{}GARBAGE";
    CHECK(salesops_call("meta.version", (const uint8_t *)padded, 2, &out) == SALESOPS_STATUS_OK);
    salesops_buffer_free(out);

    /* Unknown op, malformed JSON, unknown field: stable codes and a message naming it. */
    CHECK(call("money.nope", "{}", &untouched) == SALESOPS_STATUS_UNKNOWN_OP);
    CHECK(strstr(salesops_last_error(), "money.nope") != NULL);
    CHECK(call("money.round", "{\"money\":", &untouched) == SALESOPS_STATUS_INVALID_INPUT);
    CHECK(call("money.round", "{\"mony\":{}}", &untouched) == SALESOPS_STATUS_INVALID_INPUT);
    CHECK(strstr(salesops_last_error(), "mony") != NULL);
    CHECK(untouched.data == NULL && untouched.len == 42);

    /* A NUL byte inside the document is just a JSON error. */
    const uint8_t nul[] = {'{', 0, '}'};
    CHECK(salesops_call("meta.version", nul, sizeof nul, &untouched) == SALESOPS_STATUS_INVALID_INPUT);

    /* Freeing an empty buffer is a no-op. */
    salesops_buffer empty = {NULL, 0};
    salesops_buffer_free(empty);

    /* Names and version. */
    CHECK(strcmp(salesops_status_name(SALESOPS_STATUS_OK), "ok") == 0);
    CHECK(strcmp(salesops_status_name(SALESOPS_STATUS_CURRENCY_MISMATCH), "currency_mismatch") == 0);
    CHECK(strcmp(salesops_status_name(SALESOPS_STATUS_NULL_ARGUMENT), "null_argument") == 0);
    CHECK(strcmp(salesops_status_name(12345), "unknown") == 0);
    CHECK(strcmp(salesops_version(), SALESOPS_VERSION) == 0);

    /* Concurrent callers. */
    pthread_t threads[4];
    for (long t = 0; t < 4; t++) CHECK(pthread_create(&threads[t], NULL, worker, (void *)t) == 0);
    for (long t = 0; t < 4; t++) {
        void *bad = NULL;
        CHECK(pthread_join(threads[t], &bad) == 0);
        CHECK(bad == NULL);
    }

    printf("c edge: %s\n", failures == 0 ? "all passed" : "FAILED");
    return failures;
}
