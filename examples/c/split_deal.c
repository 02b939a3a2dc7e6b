/* Split a closed deal among three reps to the cent, from C.
 *
 *   cargo build -p salesops-ffi --release
 *   cc -std=c11 -Iffi/include examples/c/split_deal.c target/release/libsalesops_ffi.a \
 *      -lpthread -ldl -lm -o split_deal && ./split_deal
 */
#include <stdio.h>
#include <string.h>

#include "salesops.h"

static int run(const char *op, const char *input) {
    salesops_buffer out;
    salesops_status status = salesops_call(op, (const uint8_t *)input, strlen(input), &out);
    if (status != SALESOPS_STATUS_OK) {
        fprintf(stderr, "%s failed: [%s] %s\n", op, salesops_status_name((uint32_t)status), salesops_last_error());
        return 1;
    }
    printf("%s -> %s\n", op, out.data);
    salesops_buffer_free(out); /* the library frees what it allocates */
    return 0;
}

int main(void) {
    printf("salesops %s\n", salesops_version());
    int failed = run("money.allocate",
                     "{\"total\":{\"amount\":\"100000.00\",\"currency\":\"USD\"},"
                     "\"percentages\":[\"33.3\",\"33.3\",\"33.4\"]}");
    /* A refusal: percentages that do not add up to 100 name the field. */
    salesops_buffer out;
    const char *bad = "{\"total\":{\"amount\":\"10.00\",\"currency\":\"USD\"},\"percentages\":[\"50\",\"40\"]}";
    if (salesops_call("money.allocate", (const uint8_t *)bad, strlen(bad), &out) == SALESOPS_STATUS_INVALID_INPUT)
        printf("refused as expected: %s\n", salesops_last_error());
    else
        failed = 1;
    return failed;
}
