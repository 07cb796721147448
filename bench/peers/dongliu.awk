# dongliu.awk — benchmark peer of policies/dongliu-2019.wz, for mawk (any POSIX awk).
#
# Usage (see awk.sh):
#   mawk -f dongliu.awk F=P params.csv F=S staff.csv F=W workload.csv F=R routine.csv \
#        [F=O research_override.csv] F=E results.csv [F=C class_teacher.csv] \
#        F=L leave.csv F=G signin.csv F=D discipline.csv  > pay.csv
# The F=... operands are awk assignments executed before the following file is read, so
# every line is dispatched on a one-character tag instead of on FILENAME.
# params.csv must come first (the period bounds filter the dated files) and staff.csv
# before the per-person files. Output: pay.csv on stdout, in staff.csv order.
#
# Exactness: awk numbers are doubles, exact for integers below 2^53. Every input decimal
# is turned into a scaled integer (fixed-point; parsed from the string for the per-person
# files, scale 10^4; leave days at scale 1000), every quantity is kept as an integer
# numerator over a known denominator, and each half-up rounding is an exact integer
# floor division. Integer division floor(p/q) is done as (p - p%q)/q: mawk's % is
# fmod(), which is exact, so the subtraction and the division are exact too.
# The only products that can pass 2^53 (the per-person score rewards,
# 10·n_score·A·total) go through mulqr(), a digit-serial long multiplication/division.

BEGIN {
    FS = ","
    YS = "2019-09-01"; S2 = "2020-02-17"; YE = "2020-07-15"; POOL = ""
    n = 0; HD = 0
    P10[0] = 1; for (i = 1; i <= 8; i++) P10[i] = P10[i - 1] * 10
    LIMIT = 9007199254740992          # 2^53
}

# ---- signin.csv (~97% of the rows, ~90% of them with missed == 0). The regex test on
# the whole line skips those before mawk splits the line into fields (it splits lazily),
# which halves the time of this file.
F == "G" {
    if (/,0$/ || FNR == 1 || $3 == 0) next
    d = $2
    if (d < YS || d > YE) next
    if (d < S2) m1[$1] += $3; else m2[$1] += $3
    next
}

FNR == 1 || NF == 0 { next }          # header row (and blank lines) of the other files

# ---- leave.csv: days (0.5 steps) at scale 1000, summed per kind and semester
F == "L" {
    d = $2
    if (d < YS || d > YE) next
    k = $3; id = $1; v = int($4 * 1000 + 0.5)
    if (d < S2) {
        if (k == "病假") sk1[id] += v
        else if (k == "事假") ps1[id] += v
        else if (k == "旷工") ab1[id] += v
        else if (k == "脱产学习") st1[id] += v
    } else {
        if (k == "病假") sk2[id] += v
        else if (k == "事假") ps2[id] += v
        else if (k == "旷工") ab2[id] += v
        else if (k == "脱产学习") st2[id] += v
    }
    next
}

# ---- discipline.csv: keep the smallest (1 - cut) × 10 in the period
F == "D" {
    d = $2
    if (d < YS || d > YE) next
    k = $3
    f = (k == "通报批评") ? 8 : (k == "警告") ? 7 : (k == "记过") ? 2 : 0
    if (!($1 in cutf) || f < cutf[$1]) cutf[$1] = f
    next
}

# ---- staff.csv: remember the order; age at year_start decides two flags
F == "S" {
    id = $1
    ord[++n] = id
    post[id] = $5; stat[id] = $6
    b = $4
    age = substr(YS, 1, 4) - substr(b, 1, 4)
    if (substr(YS, 6) < substr(b, 6)) age--
    if ($3 == "男") { ovok[id] = (age >= 55); r80[id] = (age >= 58) }
    else            { ovok[id] = (age >= 50); r80[id] = (age >= 53) }
    next
}

F == "W" { hrs[$1] = dec($2); if (ND > HD) HD = ND; next }
F == "R" { rou[$1] = dec($2); res[$1] = dec($3); next }
F == "O" { ovr[$1] = dec($2); next }
F == "E" { scr[$1] = dec($2); next }
F == "C" { cst[$1] = $2 + 0; csc[$1] = dec($3); next }

F == "P" {
    if ($1 == "pool") POOL = $2
    else if ($1 == "year_start") YS = $2
    else if ($1 == "semester2_start") S2 = $2
    else if ($1 == "year_end") YE = $2
    next
}

# Exact decimal string -> integer at scale 10^4 (at most 4 fractional digits).
# Sets ND = number of fractional digits written.
function dec(s,    i, fr, nd, neg, v) {
    neg = 0
    if (substr(s, 1, 1) == "-") { neg = 1; s = substr(s, 2) }
    i = index(s, ".")
    if (i == 0) { ND = 0; v = s * 10000 }
    else {
        fr = substr(s, i + 1); nd = length(fr)
        while (nd > 4 && substr(fr, nd, 1) == "0") { fr = substr(fr, 1, nd - 1); nd-- }
        if (nd > 4) die("more than 4 decimals: " s)
        ND = nd
        v = substr(s, 1, i - 1) * 10000 + (nd ? fr * P10[4 - nd] : 0)
    }
    return neg ? -v : v
}

function die(msg) { printf "dongliu.awk: %s\n", msg > "/dev/stderr"; ERR = 1; exit 2 }

# floor(p / q) for integers 0 <= p, 0 < q, both < 2^53: exact (fmod is exact).
function fdiv(p, q) { return (p - p % q) / q }

# Exact a·b = Q·m + RR for nonnegative integers a, b, m < 2^53 whose quotient Q is
# < 2^53: returns Q, sets RR (0 <= RR < m). a·b itself may exceed 2^53.
# a = qa·m + ra; then ra·b is formed digit by digit of b in base bb (long
# multiplication) and reduced mod m after every digit (long division). The running
# value r·bb + digit·ra < 2·bb·m <= 2^53, so every intermediate is an exact integer.
function mulqr(a, b, m,    qa, ra, bb, k, i, dg, q, r, t, tq, b0) {
    bb = fdiv(LIMIT / 2, m)
    if (bb > 1000000) bb = 1000000
    if (bb < 2) die("divisor too large for exact arithmetic")
    qa = fdiv(a, m); ra = a - qa * m; b0 = b
    k = 0
    do { dg[k] = b % bb; b = (b - dg[k]) / bb; k++ } while (b > 0)
    q = 0; r = 0
    for (i = k - 1; i >= 0; i--) {
        t = r * bb + dg[i] * ra
        tq = fdiv(t, m)
        q = q * bb + tq
        r = t - tq * m
    }
    RR = r
    return qa * b0 + q
}

# Money in cents (integer, may be negative) -> "123.45"
function money(c,    s, r) {
    s = ""
    if (c < 0) { s = "-"; c = -c }
    r = c % 100
    return sprintf("%s%.0f.%02d", s, (c - r) / 100, r)
}

# Total (rounded to cents) of person id: an exact integer, see the derivation below.
function total(id,    Z, x, q, A, f, u, v, q1, r1, q2, r2) {
    # attendance in units of 1e-4 point; days are at scale 1000, missed is a count
    Z = 100000 - 5 * (ps1[id] + ps2[id]) - 50 * (ab1[id] + ab2[id])
    x = sk1[id] - 2000; if (x > 0) Z -= 2 * x
    x = sk2[id] - 2000; if (x > 0) Z -= 2 * x
    x = m1[id] - 5; if (x > 0) Z -= 1000 * x
    x = m2[id] - 5; if (x > 0) Z -= 1000 * x
    if (Z < 0) Z = 0
    q = (ovok[id] && (id in ovr)) ? ovr[id] : res[id]
    # attendance + process + results = A / 120000 with everything at scale 1e4:
    #   Z/1e4 + 3/4·rou/1e4 + q/(3e4) + scr/1e4
    A = 12 * Z + 9 * rou[id] + 4 * q + 12 * scr[id]
    f = (id in cutf) ? cutf[id] : 10            # (1 - cut) × 10
    # total in cents before rounding = 10·f·(A/120000 + 30·n·h/H)
    #   = u/60000 + v/H,  u = 5·f·A,  v = 300·f·n·h
    u = 5 * f * A; q1 = fdiv(u, 60000); r1 = u - q1 * 60000
    v = 300 * f * n * hrs[id]; q2 = fdiv(v, H); r2 = v - q2 * H
    # = q1 + q2 + (r1·H + r2·60000)/(60000·H); half-up: floor((2·frac + den)/(2·den))
    return q1 + q2 + fdiv(2 * (r1 * H + r2 * 60000) + 60000 * H, 120000 * H)
}

END {
    if (ERR) exit 2
    if (POOL == "") die("params.csv: pool missing")
    if (n == 0) { print "person,basis,reward,stipend,amount"; exit 0 }

    # hours were read at scale 1e4; bring them to scale 10^HD (HD = most decimals seen)
    hs = P10[4 - HD]; H = 0
    for (i = 1; i <= n; i++) { id = ord[i]; if (!(id in hrs)) die("no workload row for " id); hrs[id] /= hs; H += hrs[id] }
    if (H <= 0) die("sum of weekly_hours is 0")
    if (300000 * H >= LIMIT) die("sum of weekly_hours too large for exact arithmetic")

    pool = dec(POOL)
    if (pool % 100 != 0) die("pool with more than 2 decimals")
    pool /= 100                                  # cents

    sumst = 0; ns = 0; na = 0; n80 = 0; S = 0
    for (i = 1; i <= n; i++) {
        id = ord[i]
        if (stat[id] == "停发工资" || ab1[id] >= 5000 || ab2[id] >= 5000 \
            || sk1[id] + ps1[id] > 60000 || sk2[id] + ps2[id] > 60000 \
            || st1[id] > 60000 || st2[id] > 60000) {
            B[i] = "excluded"; ST[i] = 0; continue
        }
        p = post[id]
        if (p == "督导员" || p == "专职书记" || p == "工会主席" || p == "挂职" || p == "抽调") { B[i] = "average"; na++ }
        else if (p == "安排休息") { if (r80[id]) { B[i] = "average80"; n80++ } else { B[i] = "average"; na++ } }
        else { B[i] = "score"; ns++; t = total(id); TT[i] = t; S += t }
        if (id in cst) {
            # min(30 + 0.5·students, 60) × score/100 × 10 = mb·csc/2e5 yuan = mb·csc/2000 cents
            mb = 60 + cst[id]; if (mb > 120) mb = 120
            ST[i] = fdiv(mb * csc[id] + 1000, 2000)
        } else ST[i] = 0
        sumst += ST[i]
    }

    A = pool - sumst                             # cents
    if (A < 0) die("the stipends paid first exceed the pool; nothing is left to distribute")   # as wenze
    D5 = 5 * ns + 5 * na + 4 * n80               # avg = A / (D5/5) = 5A/D5
    if (D5 > 0) {
        avg = fdiv(10 * A + D5, 2 * D5)    # round(5A/D5)
        avg80 = fdiv(8 * A + D5, 2 * D5)   # round(4A/D5)
    }
    # score: round(ns·avg·t/S) = round(5·ns·A·t/(D5·S)) = floor((10·ns·A·t + DS)/(2·DS))
    if (ns > 0 && S > 0) {
        DS = D5 * S; m = 2 * DS
        Kq = mulqr(10 * ns, A, m); Kr = RR        # 10·ns·A = Kq·m + Kr
    }

    print "person,basis,reward,stipend,amount"
    for (i = 1; i <= n; i++) {
        b = B[i]
        if (b == "score") {
            if (S > 0) {
                rw = mulqr(Kr, TT[i], m)
                rw = Kq * TT[i] + rw + (RR + DS >= m ? 1 : 0)
            } else rw = avg                    # every score total is 0: equal shares, as wenze
        }
        else if (b == "average") rw = avg
        else if (b == "average80") rw = avg80
        else rw = 0
        printf "%s,%s,%s,%s,%s\n", ord[i], b, money(rw), money(ST[i]), money(rw + ST[i])
    }
}
