# Used by bench/pap.sh on a FreeRADIUS 3 virtual server file: drop its "listen { ... }"
# sections and, when -v port=N is given, put one auth listener on 127.0.0.1:N right after
# the "server NAME {" line.
BEGIN { depth = 0; skip = 0 }
{
	line = $0; code = line; sub(/#.*/, "", code)
	if (depth == 1 && code ~ /^[ \t]*listen[ \t]*\{/) skip = 1
	start = (depth == 0 && code ~ /^[ \t]*server[ \t]+[A-Za-z0-9_.-]+[ \t]*\{/)
	opens = gsub(/\{/, "{", code); closes = gsub(/\}/, "}", code)
	depth += opens - closes
	if (!skip) print line
	if (start && port != "")
		printf "listen {\n\ttype = auth\n\tipaddr = 127.0.0.1\n\tport = %s\n}\n", port
	if (skip && depth == 1) skip = 0
}
