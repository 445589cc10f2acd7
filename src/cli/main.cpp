#include <cstdio>
int main() { std::puts("isnad: under construction"); return 0; }
