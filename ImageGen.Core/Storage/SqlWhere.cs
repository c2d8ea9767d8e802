namespace ImageGen.Core.Storage;

/// <summary>
/// Joins the filters that apply into a WHERE clause. Optional filters written as <c>(@x IS NULL OR col = @x)</c>
/// stop SQLite from using an index for them, so a list with a rare status scanned every job; building the
/// clause from the filters actually given keeps each query an index range scan. Only fixed SQL fragments are
/// passed in; values stay parameters.
/// </summary>
public static class SqlWhere
{
    public static string Of(params (bool Applies, string Clause)[] filters)
    {
        var clauses = filters.Where(f => f.Applies).Select(f => f.Clause).ToList();
        return clauses.Count == 0 ? "" : "WHERE " + string.Join(" AND ", clauses);
    }
}
