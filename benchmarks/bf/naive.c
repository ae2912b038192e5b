/* The "c-naive" peer of the bf benchmark: a plain switch interpreter over the
 * raw program characters, with only a precomputed bracket jump table.
 * No optimisation of the program itself.
 *
 * usage: naive PROGRAM.bf [INPUT]   (output on stdout)
 * Tape: 30,000 cells growing to the right, 8-bit wrapping cells, EOF leaves
 * the cell unchanged.  Moving left of cell 0 or unmatched brackets: exit 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *read_file(const char *path, long *size) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    long cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += (long)got;
        if (n == cap) { cap *= 2; buf = realloc(buf, cap); }
    }
    fclose(f);
    *size = n;
    return buf;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s PROGRAM.bf [INPUT]\n", argv[0]); return 2; }
    long size, in_size = 0, in_pos = 0;
    unsigned char *prog = read_file(argv[1], &size);
    unsigned char *in = argc > 2 ? read_file(argv[2], &in_size) : NULL;

    long *jump = calloc(size + 1, sizeof(long));
    long *stack = malloc((size + 1) * sizeof(long));
    long depth = 0;
    for (long i = 0; i < size; i++) {
        if (prog[i] == '[') stack[depth++] = i;
        else if (prog[i] == ']') {
            if (depth == 0) { fprintf(stderr, "unmatched ']' at %ld\n", i); return 1; }
            long j = stack[--depth];
            jump[i] = j;
            jump[j] = i;
        }
    }
    if (depth) { fprintf(stderr, "unmatched '[' at %ld\n", stack[depth - 1]); return 1; }

    long cap = 30000, p = 0;
    unsigned char *tape = calloc(cap, 1);
    for (long pc = 0; pc < size; pc++) {
        switch (prog[pc]) {
        case '+': tape[p]++; break;
        case '-': tape[p]--; break;
        case '>':
            if (++p == cap) {
                tape = realloc(tape, cap * 2);
                memset(tape + cap, 0, cap);
                cap *= 2;
            }
            break;
        case '<':
            if (p == 0) { fprintf(stderr, "pointer moved left of cell 0 at %ld\n", pc); return 1; }
            p--;
            break;
        case '.': putchar(tape[p]); break;
        case ',': if (in_pos < in_size) tape[p] = in[in_pos++]; break;
        case '[': if (!tape[p]) pc = jump[pc]; break;
        case ']': if (tape[p]) pc = jump[pc]; break;
        default: break;
        }
    }
    fflush(stdout);
    return 0;
}
