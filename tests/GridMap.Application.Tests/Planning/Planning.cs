using GridMap.Application.Pipeline;
using GridMap.Application.Planning;
using GridMap.Storage.Planning;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace GridMap.Application.Tests.Planning;

/// <summary>The planning use cases over one test database, wired as the host wires them (system caller, no logging).</summary>
internal sealed class Planning(NpgsqlDataSource db)
{
    public WritePipeline Pipeline { get; } = new(db, new SystemCallerAccessor(), NullLogger<WritePipeline>.Instance);
    public AreaQueries Areas { get; } = new(db);
    public PlanQueries Plans { get; } = new(db);
    public PlanPartitioner Partitioner => new(Areas, Pipeline);
    public PlanEditing Editing => new(Pipeline, Plans);
    public PlanStaffing Staffing => new(Pipeline, Plans, db);
    public PlanPublishing Publishing => new(Pipeline, Plans);
    public PlanReading Reading => new(Areas, Plans);
}
