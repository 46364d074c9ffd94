/* placeholder: replaced by the server core */
int main(void) { return 0; }
