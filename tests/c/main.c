/* Standalone C test program (for valgrind and AddressSanitizer runs):
 *   main CASES.tsv   runs the golden vectors and the edge tests. */
#include <stdio.h>

int salesops_c_run_vectors(const char *path, int *ran);
int salesops_c_edge_tests(void);

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s CASES.tsv\n", argv[0]);
        return 2;
    }
    int ran = 0;
    int failed = salesops_c_run_vectors(argv[1], &ran);
    failed += salesops_c_edge_tests();
    return failed == 0 && ran > 0 ? 0 : 1;
}
